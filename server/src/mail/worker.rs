//! The mail worker: claims due outbox rows one at a time and sends them, within a second or so
//! of the commit that wrote them.

use std::sync::Arc;

use chrono::{Duration, Utc};
use lettre::message::Mailbox;
use sea_orm::DatabaseConnection;

use super::{outbox, transport::Transport};

/// How long a claim holds before another instance may retry the row (longer than an SMTP
/// attempt may take).
const LEASE_SECONDS: i64 = 60;

/// The worker's settings.
pub struct MailWorker {
    pub db: DatabaseConnection,
    pub transport: Arc<Transport>,
    pub from: Mailbox,
    /// Identifies this instance in claims.
    pub instance: String,
    /// The first retry delay; each further one doubles.
    pub retry_base: Duration,
    /// How often the outbox is polled when it is empty.
    pub poll: std::time::Duration,
}

impl MailWorker {
    /// Sends every due mail, then waits for the next poll; forever.
    pub async fn run(self) {
        loop {
            if let Err(err) = self.drain().await {
                tracing::error!(error = %err, "mail worker");
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    /// Sends every mail due now; returns how many were sent.
    pub async fn drain(&self) -> Result<usize, crate::error::AppError> {
        let mut sent = 0;
        let lease = Duration::seconds(LEASE_SECONDS);
        while let Some(mut mail) =
            outbox::claim(&self.db, &self.instance, Utc::now(), lease).await?
        {
            if mail.message_id.is_none() {
                let id = outbox::new_message_id(self.from.email.domain());
                mail.message_id = Some(outbox::keep_message_id(&self.db, mail.id, &id).await?);
            }
            match self.transport.send(&self.from, &mail).await {
                Ok(()) => {
                    outbox::mark_sent(&self.db, mail.id, &self.instance, Utc::now()).await?;
                    tracing::info!(outbox_id = mail.id, "mail sent");
                    sent += 1;
                }
                Err(err) => {
                    tracing::warn!(outbox_id = mail.id, attempt = mail.attempts, error = %err, "mail not sent; will retry");
                    outbox::mark_failed(
                        &self.db,
                        &mail,
                        &self.instance,
                        &err.to_string(),
                        Utc::now(),
                        self.retry_base,
                    )
                    .await?;
                    // the server is likely down: leave the rest for the next poll
                    break;
                }
            }
        }
        Ok(sent)
    }
}
