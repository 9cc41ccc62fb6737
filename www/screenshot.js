// Demo host code for `cargo xtask screenshots`: one <kap-form> whose instrument and language
// come from the query string (?instrument=phq9&lang=es), the language set on the page as a
// clinic's Spanish site would. It opens on the first page of questions (`start="skip"`) unless
// the query string says `start=show`.
const params = new URLSearchParams(window.location.search);
const lang = params.get('lang') || 'en';
document.documentElement.lang = lang;
const form = document.createElement('kap-form');
form.setAttribute('instrument', params.get('instrument') || 'phq9');
form.setAttribute('start', params.get('start') || 'skip');
document.getElementById('patient').append(form);
