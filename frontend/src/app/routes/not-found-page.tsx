import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export type NotFoundPageProps = { message?: string };

export function NotFoundPage({ message }: NotFoundPageProps) {
  const { t } = useTranslation();
  return (
    <div className="crm-page">
      <div className="slds-card slds-p-around_large slds-text-align_center crm-not-found">
        <div className="slds-illustration slds-illustration_small">
          <div className="slds-text-longform">
            <h1 className="slds-text-heading_large slds-m-bottom_small">{t("notFound.title")}</h1>
            <p className="slds-text-body_regular slds-m-bottom_medium">{message ?? t("notFound.body")}</p>
            <Link to="/" className="slds-button slds-button_brand">
              {t("notFound.home")}
            </Link>
          </div>
        </div>
      </div>
    </div>
  );
}
