//! Login throttling: failed attempts per account and per address in the database (so the
//! per-account limit holds across instances), and all attempts per address in this instance.

use std::{net::IpAddr, num::NonZeroU32};

use actix_web::HttpRequest;
use chrono::Utc;
use entities::login_failures;
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock as _};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{error::AppError, settings::Settings};

/// Login attempts per client address per minute, in this instance.
pub type IpLimiter = DefaultKeyedRateLimiter<IpAddr>;

/// The per-address limiter for all login attempts.
pub fn ip_limiter(per_minute: u32) -> IpLimiter {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    DefaultKeyedRateLimiter::keyed(Quota::per_minute(per_minute))
}

/// Counts one login attempt of `ip`; refuses (429) past the per-minute quota.
pub fn count_attempt(limiter: &IpLimiter, ip: IpAddr) -> Result<(), AppError> {
    limiter.check_key(&ip).map_err(|not_until| {
        let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
        AppError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        }
    })
}

/// The client address: the peer, or the first `X-Forwarded-For` hop when the peer is a trusted proxy.
pub fn client_ip(req: &HttpRequest, settings: &Settings) -> IpAddr {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    if settings.trusted_proxies.contains(&peer)
        && let Some(forwarded) = req
            .headers()
            .get("X-Forwarded-For")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return forwarded;
    }
    peer
}

/// Refuses (429 with the seconds to wait) an account or address with too many recent failures.
pub async fn check_failures(
    db: &impl ConnectionTrait,
    settings: &Settings,
    email: &str,
    ip: IpAddr,
) -> Result<(), AppError> {
    let window = chrono::Duration::minutes(settings.login_failure_window_minutes);
    let since = Utc::now() - window;
    let by_account = login_failures::Column::Email.eq(email);
    let by_ip = login_failures::Column::ClientIp.eq(ip.to_string());
    for (filter, limit) in [
        (by_account, settings.login_failures_per_account),
        (by_ip, settings.login_failures_per_ip),
    ] {
        let recent = login_failures::Entity::find()
            .filter(filter.clone())
            .filter(login_failures::Column::At.gt(since));
        let count = recent.clone().count(db).await?;
        if count >= u64::from(limit) {
            // the window frees a place when the (count - limit + 1)-th oldest failure leaves it
            let freeing = recent
                .order_by_asc(login_failures::Column::At)
                .offset(count - u64::from(limit))
                .one(db)
                .await?;
            let wait = freeing
                .map(|f| (f.at + window - Utc::now()).num_seconds())
                .unwrap_or(60);
            return Err(AppError::RateLimited {
                retry_after_secs: u64::try_from(wait).unwrap_or(1).max(1),
            });
        }
    }
    Ok(())
}

/// Records a failed attempt and forgets this account's and address's failures older than the window.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    settings: &Settings,
    email: &str,
    ip: IpAddr,
) -> Result<(), AppError> {
    let now = Utc::now();
    let cutoff = now - chrono::Duration::minutes(settings.login_failure_window_minutes);
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::At.lt(cutoff))
        .filter(
            Condition::any()
                .add(login_failures::Column::Email.eq(email))
                .add(login_failures::Column::ClientIp.eq(ip.to_string())),
        )
        .exec(db)
        .await?;
    login_failures::ActiveModel {
        email: Set(email.to_string()),
        client_ip: Set(ip.to_string()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Forgets an account's failures after it logs in.
pub async fn clear_account(db: &impl ConnectionTrait, email: &str) -> Result<(), AppError> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Email.eq(email))
        .exec(db)
        .await?;
    Ok(())
}
