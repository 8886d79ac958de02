/** English strings of online payments (Stripe) and of SaaS mode: sign-up, plans and limits. */
export const stripeEn = {
  payOnline: {
    action: "Pay Online",
    title: "Pay online",
    intro: "Stripe Checkout link for the open balance of {{amount}}. It is printed on the invoice and in its mail.",
    create: "Create Payment Link",
    creating: "Creating…",
    none: "There is no payment link for the open balance yet.",
    notConfigured: "Online payments are not set up: ask an administrator to configure Stripe.",
    link: "Payment link",
    copy: "Copy Link",
    copied: "Link copied",
    open: "Open",
    close: "Close",
    failed: "The payment link could not be created.",
  },
};
