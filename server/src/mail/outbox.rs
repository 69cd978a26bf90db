//! The outbox: mail rendered and stored in the transaction of the step that causes it, then
//! claimed and sent by one worker of one instance.

use chrono::{DateTime, Duration, Utc};
use entities::outbox;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, Statement, Value};
use serde::Serialize;

use crate::{error::AppError, templates::Templates};

/// An outbox row waits to be sent.
pub const PENDING: &str = "pending";
/// An outbox row was accepted by the mail server.
pub const SENT: &str = "sent";
/// An outbox row was given up after the last retry.
pub const FAILED: &str = "failed";

/// Attempts before a mail is given up (with doubling delays, about a day in all).
pub const MAX_ATTEMPTS: i32 = 18;

/// A message as rendered from `templates/emails/<name>/{subject,txt,html}`.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders mail template `name` with `data`: Chinese with the English copy below (the templates
/// hold both).
pub fn render(
    templates: &Templates,
    name: &str,
    data: &impl Serialize,
) -> Result<Rendered, AppError> {
    let part = |p: &str| templates.render(&format!("emails/{name}/{p}"), data);
    Ok(Rendered {
        subject: part("subject")?.trim().replace(['\r', '\n'], " "),
        text: part("txt")?,
        html: part("html")?,
    })
}

/// What writing mail needs: the templates, and the sender's domain for Message-IDs.
#[derive(Clone, Copy)]
pub struct Mail<'a> {
    pub templates: &'a Templates,
    pub domain: &'a str,
}

/// A new `Message-ID`: random, at the sender's domain.
pub fn new_message_id(domain: &str) -> String {
    format!("<{}@{domain}>", uuid::Uuid::new_v4().simple())
}

/// Renders template `name` with `data` and writes one outbox row per recipient on `db` — the
/// transaction of the step that causes the mail, so the mail exists exactly when the step does.
/// Each row gets its `Message-ID` now, and every attempt sends that one: delivery is at least
/// once (a crash after the server accepted a mail and before the row is marked sent sends it
/// again), and a duplicate carries the same `Message-ID` for the receiver to drop.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    mail: Mail<'_>,
    name: &str,
    recipients: &[String],
    data: &impl Serialize,
) -> Result<(), AppError> {
    let templates = mail.templates;
    if recipients.is_empty() {
        tracing::warn!(template = name, "no recipient for a mail");
        return Ok(());
    }
    let rendered = render(templates, name, data)?;
    let now = Utc::now();
    for recipient in recipients {
        outbox::ActiveModel {
            template: Set(name.to_string()),
            recipient: Set(recipient.clone()),
            subject: Set(rendered.subject.clone()),
            body_text: Set(rendered.text.clone()),
            body_html: Set(rendered.html.clone()),
            status: Set(PENDING.to_string()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            created_at: Set(now),
            message_id: Set(Some(new_message_id(mail.domain))),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A claimed mail.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i32,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attempts: i32,
    /// Its `Message-ID` (rows written before Message-IDs existed get one when claimed).
    pub message_id: Option<String>,
}

/// Claims the oldest due mail for `instance` until `now + lease`, or none. One statement: two
/// instances racing for the same row never both get it (on PostgreSQL the loser re-reads the
/// claimed row and no longer matches; SQLite runs writes one at a time).
pub async fn claim(
    db: &impl ConnectionTrait,
    instance: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<Claimed>, AppError> {
    let due =
        "status = $3 AND next_attempt_at <= $4 AND (claimed_until IS NULL OR claimed_until < $4)";
    let sql = format!(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM outbox WHERE {due} ORDER BY id LIMIT 1) AND {due} \
         RETURNING id, recipient, subject, body_text, body_html, attempts, message_id"
    );
    let values: Vec<Value> = vec![
        instance.into(),
        (now + lease).into(),
        PENDING.into(),
        now.into(),
    ];
    let backend = db.get_database_backend();
    let Some(row) = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Claimed {
        id: row.try_get("", "id")?,
        recipient: row.try_get("", "recipient")?,
        subject: row.try_get("", "subject")?,
        text: row.try_get("", "body_text")?,
        html: row.try_get("", "body_html")?,
        attempts: row.try_get("", "attempts")?,
        message_id: row.try_get("", "message_id")?,
    }))
}

/// Gives a row written before Message-IDs existed the id `id`, unless it has one; returns the
/// row's id from then on.
pub async fn keep_message_id(
    db: &impl ConnectionTrait,
    row: i32,
    id: &str,
) -> Result<String, AppError> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "UPDATE outbox SET message_id = $1 WHERE id = $2 AND message_id IS NULL",
        [id.into(), row.into()],
    ))
    .await?;
    let stored = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT message_id FROM outbox WHERE id = $1",
            [row.into()],
        ))
        .await?
        .and_then(|r| r.try_get::<Option<String>>("", "message_id").ok().flatten());
    Ok(stored.unwrap_or_else(|| id.to_string()))
}

/// Marks a claimed mail sent.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    id: i32,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let sql = "UPDATE outbox SET status = $1, sent_at = $2, claimed_until = NULL, last_error = NULL \
               WHERE id = $3 AND claimed_by = $4";
    let values: Vec<Value> = vec![SENT.into(), now.into(), id.into(), instance.into()];
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        values,
    ))
    .await?;
    Ok(())
}

/// The delay before attempt `attempts + 1`: `base` doubled per failed attempt, at most an hour.
pub fn backoff(attempts: i32, base: Duration) -> Duration {
    let factor = 2i32.saturating_pow(attempts.clamp(1, 20) as u32 - 1);
    (base * factor).min(Duration::hours(1))
}

/// Records a failed attempt: retried after the backoff, or given up after [`MAX_ATTEMPTS`].
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    mail: &Claimed,
    instance: &str,
    error: &str,
    now: DateTime<Utc>,
    base: Duration,
) -> Result<(), AppError> {
    let status = if mail.attempts >= MAX_ATTEMPTS {
        FAILED
    } else {
        PENDING
    };
    let sql = "UPDATE outbox SET status = $1, next_attempt_at = $2, claimed_until = NULL, last_error = $3 \
               WHERE id = $4 AND claimed_by = $5";
    let values: Vec<Value> = vec![
        status.into(),
        (now + backoff(mail.attempts, base)).into(),
        error.chars().take(500).collect::<String>().into(),
        mail.id.into(),
        instance.into(),
    ];
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        values,
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::seconds(1);
        assert_eq!(backoff(1, base), Duration::seconds(1));
        assert_eq!(backoff(2, base), Duration::seconds(2));
        assert_eq!(backoff(5, base), Duration::seconds(16));
        assert_eq!(backoff(18, base), Duration::hours(1));
    }
}
