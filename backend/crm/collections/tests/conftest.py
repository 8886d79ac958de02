from crm.invoicing.tests.test_mail import smtp  # noqa: F401  the local SMTP server (aiosmtpd) that counts mails
