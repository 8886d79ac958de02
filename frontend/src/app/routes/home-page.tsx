import { useQueries } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ObjectIcon } from "../../components/icon";
import { api, type Page } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import type { RecordData } from "../../records/metadata/types";
import { navObjects } from "../app-shell";

/** Home: one card per registered object with its record count (charts come later). */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const { data: user } = useSession();
  const { data: metaIndex } = useMetaIndex();
  const objects = navObjects(metaIndex?.objects ?? [], user);
  const counts = useQueries({
    queries: objects.map((meta) => ({
      queryKey: [meta.name, "count"],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Page<RecordData>>(meta.api_path, { page_size: 1 }, signal),
    })),
  });

  useEffect(() => {
    document.title = `${t("home.title")} | ${t("app.name")}`;
  }, [t]);

  return (
    <div className="crm-page">
      <div className="slds-page-header crm-card-shadow">
        <div className="slds-page-header__row">
          <div className="slds-page-header__col-title">
            <div className="slds-media">
              <div className="slds-media__figure">
                <ObjectIcon icon="home" size="small" />
              </div>
              <div className="slds-media__body">
                <div className="slds-page-header__name">
                  <div className="slds-page-header__name-title">
                    <span className="slds-page-header__name-meta">{t("home.subtitle")}</span>
                    <h1 className="slds-page-header__title slds-truncate">{t("home.welcome", { name: user?.name ?? "" })}</h1>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div className="crm-dashboard">
        {objects.map((meta, index) => {
          const count = counts[index]?.data?.count;
          return (
            <article key={meta.name} className="slds-card crm-dashboard-card">
              <div className="slds-card__header slds-grid">
                <header className="slds-media slds-media_center slds-has-flexi-truncate">
                  <div className="slds-media__figure">
                    <ObjectIcon icon={meta.icon} size="small" />
                  </div>
                  <div className="slds-media__body">
                    <h2 className="slds-card__header-title">
                      <Link to={`/o/${meta.name}`} className="slds-card__header-link slds-truncate">
                        {labels.objectPlural(meta)}
                      </Link>
                    </h2>
                  </div>
                </header>
              </div>
              <div className="slds-card__body slds-card__body_inner">
                <p className="crm-dashboard-count">{count === undefined ? "…" : new Intl.NumberFormat(i18n.language).format(count)}</p>
                <p className="slds-text-color_weak">{count === undefined ? "" : t("home.records", { count })}</p>
              </div>
              <footer className="slds-card__footer">
                <Link className="slds-card__footer-action" to={`/o/${meta.name}`}>
                  {t("home.viewAll")}
                </Link>
              </footer>
            </article>
          );
        })}
      </div>
    </div>
  );
}
