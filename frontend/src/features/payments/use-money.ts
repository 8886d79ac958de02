import { useTranslation } from "react-i18next";
import { useCurrency } from "../../lib/session";
import { formatCurrency } from "../../records/fields/format";

/** Formats an amount in the organization's currency and the user's language (an empty amount as zero). */
export function useMoney() {
  const { i18n } = useTranslation();
  const currency = useCurrency();
  return (value: unknown) => formatCurrency(value ?? 0, i18n.language, currency);
}
