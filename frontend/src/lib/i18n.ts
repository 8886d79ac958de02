import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { bg } from "./locales/bg";
import { en } from "./locales/en";
import { metaBg } from "./locales/meta-bg";

export const LANGUAGES = ["en", "bg"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "crm.language";

export function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === "en" || value === "bg" ? value : null;
  } catch {
    return null;
  }
}

export function setLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  void i18next.changeLanguage(language);
}

export function initI18n(language?: Language): typeof i18next {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: {
        en: { translation: en, meta: {} },
        bg: { translation: bg, meta: metaBg },
      },
      lng: language ?? storedLanguage() ?? "en",
      fallbackLng: "en",
      ns: ["translation", "meta"],
      defaultNS: "translation",
      interpolation: { escapeValue: false },
      initAsync: false,
    });
  }
  return i18next;
}

export { i18next };
