// Small progressive enhancements. The pages work without this file.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});

// TTC = HT + TVA, filled in as the user types; still editable (an edited TTC is kept).
function parseAmount(text) {
  const clean = text.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
  return clean === "" || isNaN(Number(clean)) ? null : Number(clean);
}

document.addEventListener("input", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement) || !target.form) return;
  const total = target.form.querySelector("[data-ttc-total]");
  if (!total) return;
  if (target === total) {
    total.dataset.edited = total.value.trim() === "" ? "" : "1";
    return;
  }
  if (!target.hasAttribute("data-ttc-part") || total.dataset.edited) return;
  const parts = [...target.form.querySelectorAll("[data-ttc-part]")].map((i) => parseAmount(i.value));
  if (parts.some((p) => p === null)) return;
  const cents = parts.reduce((sum, p) => sum + Math.round(p * 100), 0);
  total.value = (cents / 100).toFixed(2).replace(".", ",");
});
