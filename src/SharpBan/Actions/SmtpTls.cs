namespace SharpBan.Actions;

/// <summary>How the SMTP action secures its connection (<c>tls</c>, a SharpBan extension of smtp.py's options).</summary>
internal enum SmtpTls
{
    /// <summary>Plain SMTP, never STARTTLS: fail2ban's smtp.py (the default).</summary>
    None,

    /// <summary>STARTTLS, required: the mail is not sent when the server does not offer it or its certificate is not trusted.</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    Ssl,
}
