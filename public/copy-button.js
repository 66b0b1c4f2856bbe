/*
 * Copy buttons beside KID and account numbers (templates/partials/payment-number.hbs). Without
 * this script, or where the browser offers no clipboard, the buttons stay hidden: a click on the
 * number still selects it whole, and its digits copy without spaces. A static file, as the
 * Content-Security-Policy allows no inline script.
 */
(() => {
  if (!window.isSecureContext || !navigator.clipboard) return;
  for (const button of document.querySelectorAll('button.copy-button[data-copy]')) {
    const status = button.nextElementSibling;
    let timer;
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(button.dataset.copy).then(
        () => {
          // Said once in the live region beside the button, then cleared for the next copy.
          status.textContent = button.dataset.copied;
          clearTimeout(timer);
          timer = setTimeout(() => (status.textContent = ''), 5000);
        },
        () => {
          // Refused (permissions, an old browser): the number can still be selected by hand.
          button.hidden = true;
        },
      );
    });
  }
})();
