// The destination as the server masked it, for eyes and for screen readers.

/** "+1******2671" → "your number ending in 2671"; an email address keeps its mask. */
export function spokenDestination(masked) {
  const last = /^\+\d+\*+(\d+)$/.exec(masked)?.[1];
  return last ? `your number ending in ${last}` : masked.replace(/\*+/g, '•••');
}

/** "+1******2671" → "+1 ••• ••• 2671" on screen, "your number ending in 2671" for screen readers. */
export function maskedDestination(masked) {
  const strong = document.createElement('strong');
  const phone = /^(\+\d{1,3})(\*+)(\d{2,4})$/.exec(masked);
  if (!phone) {
    strong.textContent = masked.replace(/\*+/g, '•••');
    return strong;
  }
  strong.innerHTML = '<span aria-hidden="true" class="nowrap"></span><span class="visually-hidden"></span>';
  strong.firstChild.textContent = [phone[1], ...phone[2].replace(/\*/g, '•').match(/.{1,3}/g), phone[3]].join(' ');
  strong.lastChild.textContent = spokenDestination(masked);
  return strong;
}
