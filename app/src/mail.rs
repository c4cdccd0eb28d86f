//! Activation links by email: with `serve --smtp-url … --mail-from …`, a new owner
//! or user gets their one-time link in their inbox and the administrator never
//! handles it. Without SMTP the console shows the link, as before.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one delivery may take (connect, greet, send): an administrator is
/// waiting for the answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The SMTP relay the server hands its mail to, and what the mail says it is from.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The origin people reach the console at: links in mail must be absolute.
    public_origin: String,
}

impl std::fmt::Debug for Mailer {
    /// The sender, never the URL (it may carry a password).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://host:port` (plain, for a relay on
    /// this machine or network), `smtp://host:587?tls=required` (STARTTLS),
    /// `smtps://host:465` (TLS), with `user:password@` if the relay asks.
    pub fn new(smtp_url: &str, from: &str, public_origin: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("--smtp-url is not an SMTP URL lettre understands: {e}"))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("--mail-from is not an email address: {e}"))?;
        Ok(Self {
            transport,
            from,
            public_origin: public_origin.trim_end_matches('/').to_owned(),
        })
    }

    /// Sends `to` the one-time link at `path` (`/activate?token=…`) for `what`
    /// ("the account Faculty of Arts", "Demo University's console").
    pub async fn send_activation(&self, to: &str, what: &str, path: &str) -> Result<(), String> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| format!("{to} is not an address mail can go to: {e}"))?;
        let link = format!("{}{path}", self.public_origin);
        let body = format!(
            "Hello,\r\n\r\nYou have been given access to {what} in Umbrella.\r\n\
             Choose your password here:\r\n\r\n{link}\r\n\r\n\
             The link works once, for 7 days. If you did not expect this email, ignore it.\r\n"
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject("Your Umbrella activation link")
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("the email could not be written: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("the mail server did not take the email: {e}"))
    }
}
