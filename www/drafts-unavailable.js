// Test page script (not widget code): before <kap-form> loads, it makes this page's storage
// fail the way a private window, a locked-down browser or a full disk does, as the query
// string says: ?break=idb (indexedDB.open throws), ?break=crypto (no crypto.subtle), or
// ?break=quota (writing a draft, IDBObjectStore.put, fails with QuotaExceededError).
const broken = new URLSearchParams(window.location.search).get('break') ?? 'idb';
if (broken === 'idb') {
  IDBFactory.prototype.open = function open() {
    throw new DOMException('IndexedDB is disabled on this page', 'InvalidStateError');
  };
} else if (broken === 'crypto') {
  Object.defineProperty(Crypto.prototype, 'subtle', { get() { return undefined; }, configurable: true });
} else if (broken === 'quota') {
  const fail = function fail() {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  IDBObjectStore.prototype.put = fail;
}
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('broken').textContent = `Storage broken on purpose: ${broken}.`;
});
