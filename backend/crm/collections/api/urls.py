from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^reminder-levels/?$", views.ReminderLevelListView.as_view(), name="reminder-levels"),
    re_path(r"^reminder-levels/(?P<pk>[0-9]+)/?$", views.ReminderLevelDetailView.as_view(), name="reminder-level"),
    re_path(r"^reminders/?$", views.ReminderListView.as_view(), name="reminders"),
    re_path(r"^reminders/(?P<pk>[0-9]+)/pdf/?$", views.ReminderPdfView.as_view(), name="reminder-pdf"),
    re_path(r"^collection-settings/?$", views.CollectionSettingsView.as_view(), name="collection-settings"),
    re_path(
        r"^invoices/(?P<pk>[0-9]+)/send-reminder/?$",
        views.InvoiceSendReminderView.as_view(),
        name="invoice-send-reminder",
    ),
    re_path(
        r"^invoices/(?P<pk>[0-9]+)/reminder-status/?$",
        views.InvoiceReminderStatusView.as_view(),
        name="invoice-reminder-status",
    ),
    re_path(
        r"^invoices/(?P<pk>[0-9]+)/pause-reminders/?$",
        views.InvoicePauseRemindersView.as_view(),
        name="invoice-pause-reminders",
    ),
    re_path(
        r"^invoices/(?P<pk>[0-9]+)/resume-reminders/?$",
        views.InvoiceResumeRemindersView.as_view(),
        name="invoice-resume-reminders",
    ),
    re_path(
        r"^accounts/(?P<pk>[0-9]+)/no-reminders/?$", views.AccountNoRemindersView.as_view(), name="account-no-reminders"
    ),
    re_path(r"^bank-statements/?$", views.BankStatementListView.as_view(), name="bank-statements"),
    re_path(r"^bank-statements/(?P<pk>[0-9]+)/?$", views.BankStatementDetailView.as_view(), name="bank-statement"),
    re_path(r"^bank-transactions/?$", views.BankTransactionListView.as_view(), name="bank-transactions"),
    re_path(
        r"^bank-transactions/(?P<pk>[0-9]+)/?$", views.BankTransactionDetailView.as_view(), name="bank-transaction"
    ),
    re_path(
        r"^bank-transactions/(?P<pk>[0-9]+)/match/?$",
        views.BankTransactionMatchView.as_view(),
        name="bank-transaction-match",
    ),
    re_path(
        r"^bank-transactions/(?P<pk>[0-9]+)/reject/?$",
        views.BankTransactionRejectView.as_view(),
        name="bank-transaction-reject",
    ),
    re_path(
        r"^bank-transactions/(?P<pk>[0-9]+)/undo/?$",
        views.BankTransactionUndoView.as_view(),
        name="bank-transaction-undo",
    ),
]
