import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSaasPlans } from "./saas-queries";

/** "Create an organization" under the sign-in form, in SaaS mode only. */
export function SignupLink() {
  const { t } = useTranslation();
  const plans = useSaasPlans();
  if (!Array.isArray(plans.data)) return null;
  return (
    <p className="slds-m-top_x-small slds-text-align_center">
      <Link to="/signup">{t("stripe.saas.createAccount")}</Link>
    </p>
  );
}
