//! Scheduled work: runs once at start-up (before the server answers) and then on a timer, reads
//! the app's clock, catches up on whatever fell due while no server ran, and is idempotent —
//! running it twice, after a restart or in two instances changes nothing twice.

use std::sync::Arc;

use actix_web::web;
use lettre::message::Mailbox;

use crate::{
    domain::accreditation,
    mail::{transport::Transport, worker::MailWorker},
    state::AppState,
};

/// Runs every due piece of scheduled work once.
pub async fn run_once(state: &AppState) -> anyhow::Result<()> {
    let services = state.services();
    let started = accreditation::take_effect_due(&services)
        .await
        .map_err(|e| anyhow::anyhow!("accreditations taking effect: {e}"))?;
    if started > 0 {
        tracing::info!(started, "accreditations took effect");
    }
    let exited = crate::domain::lifecycle::exit::take_effect_due(&services)
        .await
        .map_err(|e| anyhow::anyhow!("exits taking effect: {e}"))?;
    if exited > 0 {
        tracing::info!(exited, "exits took effect");
    }
    let mails = crate::domain::reminders::send_due(&services)
        .await
        .map_err(|e| anyhow::anyhow!("report reminders: {e}"))?;
    if mails > 0 {
        tracing::info!(mails, "report reminders and overdue notices");
    }
    let lapsed = crate::domain::reminders::send_lapsed_rectifications(&services)
        .await
        .map_err(|e| anyhow::anyhow!("lapsed rectifications: {e}"))?;
    if lapsed > 0 {
        tracing::info!(lapsed, "lapsed rectifications reported");
    }
    let expiring = crate::domain::market::demands::expiry::remind_due(&services)
        .await
        .map_err(|e| anyhow::anyhow!("demands expiring: {e}"))?;
    if expiring > 0 {
        tracing::info!(expiring, "members reminded of demands expiring");
    }
    let told = crate::domain::market::changes::mail_due(&services)
        .await
        .map_err(|e| anyhow::anyhow!("listing changes: {e}"))?;
    if told > 0 {
        tracing::info!(told, "subscribers told of listing changes");
    }
    let (today, now) = (state.clock.today(), state.clock.now());
    let ended = crate::db::write(&state.db, async |txn| {
        crate::domain::market::rights::declaration::end_due(txn, today, now).await
    })
    .await
    .map_err(|e| anyhow::anyhow!("open licences ending: {e}"))?;
    if ended > 0 {
        tracing::info!(ended, "open licences reached the end of their term");
    }
    let stopped = crate::imports::inventory::abandon_stopped(&state.db, now)
        .await
        .map_err(|e| anyhow::anyhow!("stopped imports: {e}"))?;
    if stopped > 0 {
        tracing::info!(stopped, "imports whose instance stopped were discarded");
    }
    let forgotten = crate::auth::session::forget_expired(&state.db)
        .await
        .map_err(|e| anyhow::anyhow!("expired sessions: {e}"))?;
    if forgotten > 0 {
        tracing::info!(forgotten, "expired sessions forgotten");
    }
    Ok(())
}

/// Runs the scheduled work every `IPOC_SCHEDULE_SECONDS`.
pub fn start(state: web::Data<AppState>) {
    let period = std::time::Duration::from_secs(u64::from(state.settings.schedule_seconds));
    tokio::spawn(async move {
        let mut timer = tokio::time::interval(period);
        timer.tick().await; // the start-up run just happened
        loop {
            timer.tick().await;
            if let Err(err) = run_once(&state).await {
                tracing::error!(error = %err, "scheduled work");
            }
        }
    });
}

/// Starts the mail worker over the configured transport.
pub fn start_mail_worker(state: &AppState) -> anyhow::Result<()> {
    use secrecy::ExposeSecret;
    let settings = &state.settings;
    let transport = Transport::new(
        settings.smtp_url.as_ref().map(|u| u.expose_secret()),
        &settings.data_dir,
    )?;
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|e| anyhow::anyhow!("IPOC_MAIL_FROM: {e}"))?;
    let worker = MailWorker {
        db: state.db.clone(),
        transport: Arc::new(transport),
        from,
        instance: uuid::Uuid::new_v4().to_string(),
        retry_base: chrono::Duration::seconds(i64::from(settings.mail_retry_seconds)),
        poll: std::time::Duration::from_millis(500),
    };
    tokio::spawn(worker.run());
    Ok(())
}
