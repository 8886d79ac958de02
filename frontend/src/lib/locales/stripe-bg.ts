import type { stripeEn } from "./stripe-en";

type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };

/** Bulgarian strings of online payments (Stripe) and of SaaS mode. */
export const stripeBg: Catalog<typeof stripeEn> = {
  payOnline: {
    action: "Плащане онлайн",
    title: "Плащане онлайн",
    intro: "Връзка към Stripe Checkout за неплатения остатък от {{amount}}. Тя се отпечатва във фактурата и в имейла към нея.",
    create: "Създаване на връзка за плащане",
    creating: "Създаване…",
    none: "Все още няма връзка за плащане на остатъка.",
    notConfigured: "Онлайн плащанията не са настроени: помолете администратор да настрои Stripe.",
    link: "Връзка за плащане",
    copy: "Копиране на връзката",
    copied: "Връзката е копирана",
    open: "Отваряне",
    close: "Затваряне",
    failed: "Връзката за плащане не можа да бъде създадена.",
  },
};
