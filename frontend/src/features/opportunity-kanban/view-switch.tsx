import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Icon } from "../../components/icon";

export type ViewSwitchProps = { current: "list" | "kanban" };

/** "List" / "Kanban" display switch shown in the opportunities header. */
export function ViewSwitch({ current }: ViewSwitchProps) {
  const { t } = useTranslation();
  const views = [
    { value: "list", to: "/o/opportunity", icon: "table", label: t("sales.kanban.viewList") },
    { value: "kanban", to: "/o/opportunity/pipeline", icon: "kanban", label: t("sales.kanban.viewKanban") },
  ] as const;
  return (
    <div className="slds-button-group" role="group" aria-label={t("sales.kanban.viewSwitch")}>
      {views.map((view) => (
        <Link
          key={view.value}
          to={view.to}
          aria-current={current === view.value ? "page" : undefined}
          className={`slds-button ${current === view.value ? "slds-button_brand" : "slds-button_neutral"}`}
        >
          <Icon category="utility" name={view.icon} className="slds-button__icon slds-button__icon_left" />
          {view.label}
        </Link>
      ))}
    </div>
  );
}

export function OpportunityViewSwitch() {
  return <ViewSwitch current="list" />;
}
