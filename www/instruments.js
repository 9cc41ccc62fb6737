// Demo page script: fills the instrument picker and swaps the <kap-form> element. Part of the
// demo site, not of the widget. Tests create elements here directly.
const ids = ['intake', 'motivation', 'readiness', 'integration', 'phq9', 'phq2', 'gad7', 'gad2', 'pcl5', 'audit', 'auditc', 'who5', 'readiness-ruler', 'cssrs', 'dast10', 'mdq'];
const choose = document.getElementById('choose');
for (const id of ids) {
  const option = document.createElement('option');
  option.value = id;
  option.textContent = id;
  choose.append(option);
}
choose.addEventListener('change', () => {
  document.querySelector('#forms kap-form')?.remove();
  if (!choose.value) return;
  const form = document.createElement('kap-form');
  form.id = 'f';
  form.setAttribute('instrument', choose.value);
  document.getElementById('forms').append(form);
});
