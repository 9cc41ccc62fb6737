// Demo host code, not widget code: the language buttons set `lang` on the form, as a clinic's
// own language menu would; the form rewords itself and keeps every answer and the page.
for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => {
    document.getElementById('es').setAttribute('lang', button.dataset.lang);
  });
}
