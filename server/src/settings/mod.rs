//! Typed settings: defaults, then `IPOC_*` environment variables; checked at boot.

use std::{net::IpAddr, path::PathBuf};

use secrecy::{ExposeSecret, SecretString};

use crate::clock::Clock;

mod import_limits;
mod search;

pub use import_limits::ImportLimits;

/// The JWT secret used when none is configured; production refuses to start with it.
pub const DEFAULT_JWT_SECRET: &str = "ipoc-development-secret-change-me-in-production";

/// Where ipoc runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// Every setting of ipoc (the README's settings table lists them with their variables).
#[derive(Debug, Clone)]
pub struct Settings {
    /// `IPOC_BIND`, default `127.0.0.1:8080`.
    pub bind: String,
    /// `IPOC_DATA_DIR`, default `data`.
    pub data_dir: PathBuf,
    /// `IPOC_DATABASE_URL`, default a SQLite file in the data folder.
    pub database_url: String,
    /// `IPOC_DB_MAX_CONNECTIONS`, default 10.
    pub db_max_connections: u32,
    /// `IPOC_FIGURES_CACHE_ENTRIES`, default 100,000; 0 turns the figures cache off.
    pub figures_cache_entries: usize,
    /// `IPOC_JWT_SECRET`.
    pub jwt_secret: SecretString,
    /// `IPOC_TOKEN_TTL_MINUTES`, default 720 (12 hours).
    pub token_ttl_minutes: i64,
    /// `IPOC_ENV`, default development.
    pub environment: Environment,
    /// `IPOC_NOW`: fixes the domain clock (development and tests only).
    pub clock: Clock,
    /// `IPOC_COOKIE_SECURE`: mark cookies `Secure`; default true in production.
    pub cookie_secure: bool,
    /// `IPOC_TRUSTED_PROXIES`: comma-separated addresses whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// `IPOC_LOGIN_FAILURES_PER_ACCOUNT`, default 10 per window.
    pub login_failures_per_account: u32,
    /// `IPOC_LOGIN_FAILURES_PER_IP`, default 50 per window.
    pub login_failures_per_ip: u32,
    /// `IPOC_LOGIN_FAILURE_WINDOW_MINUTES`, default 15.
    pub login_failure_window_minutes: i64,
    /// `IPOC_LOGINS_PER_IP_PER_MINUTE`, default 120 (all login attempts of one address).
    pub logins_per_ip_per_minute: u32,
    /// `IPOC_WORKERS`: HTTP worker threads, default the number of cores.
    pub workers: usize,
    /// `IPOC_ADMIN_EMAIL`: the first admin created on an empty database, default `admin@ipoc.local`.
    pub initial_admin_email: String,
    /// `IPOC_SMTP_URL`: send mail through this SMTP server (required in production); unset: `.eml`
    /// files under `IPOC_DATA_DIR/mail/`.
    pub smtp_url: Option<SecretString>,
    /// `IPOC_MAIL_FROM`, default `ipoc <noreply@ipoc.local>`.
    pub mail_from: String,
    /// `IPOC_PUBLIC_URL`: the address links in mail point to, default `http://127.0.0.1:8080`.
    pub public_url: String,
    /// `IPOC_MAIL_RETRY_SECONDS`: the first retry delay of a failed mail (doubling), default 30.
    pub mail_retry_seconds: u32,
    /// `IPOC_SCHEDULE_SECONDS`: how often scheduled work runs (also once at start-up), default 60.
    pub schedule_seconds: u32,
    /// `IPOC_ATTACHMENT_MAX_MB`: the largest attachment of an application, default 20.
    pub attachment_max_mb: usize,
    /// The bounds of every import (`IPOC_IMPORT_*`).
    pub import: ImportLimits,
    /// The search index (`IPOC_SEARCH_*`).
    pub search: crate::search::SearchSettings,
    /// `IPOC_CSP_REPORT_URI`: where browsers report violations of the Content-Security-Policy
    /// (`report-uri`); unset: no reports.
    pub csp_report_uri: Option<String>,
}

/// A setting that is missing or wrong, naming its variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct SettingsError {
    pub variable: &'static str,
    pub problem: String,
}

fn invalid(variable: &'static str, problem: impl Into<String>) -> SettingsError {
    SettingsError {
        variable,
        problem: problem.into(),
    }
}

impl Settings {
    /// Settings from the process environment.
    pub fn from_env() -> Result<Settings, SettingsError> {
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
    }

    /// Settings from a lookup of `IPOC_*` variables (defaults for those it lacks), then checked.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        fn number<T: std::str::FromStr>(
            get: &impl Fn(&str) -> Option<String>,
            key: &'static str,
            default: T,
        ) -> Result<T, SettingsError> {
            match get(key) {
                None => Ok(default),
                Some(raw) => raw
                    .trim()
                    .parse()
                    .map_err(|_| invalid(key, format!("'{raw}' is not a number"))),
            }
        }
        let environment = match get("IPOC_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(invalid(
                    "IPOC_ENV",
                    format!("'{other}' is neither development nor production"),
                ));
            }
        };
        let data_dir = PathBuf::from(get("IPOC_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("IPOC_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("ipoc.db").display()));
        let clock = match get("IPOC_NOW") {
            None => Clock::System,
            Some(raw) => Clock::parse_fixed(&raw).ok_or_else(|| {
                invalid(
                    "IPOC_NOW",
                    format!("'{raw}' is neither a date (YYYY-MM-DD) nor an RFC 3339 time"),
                )
            })?,
        };
        let trusted_proxies = get("IPOC_TRUSTED_PROXIES")
            .map(|raw| {
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse().map_err(|_| {
                            invalid(
                                "IPOC_TRUSTED_PROXIES",
                                format!("'{s}' is not an IP address"),
                            )
                        })
                    })
                    .collect::<Result<Vec<IpAddr>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        let cookie_secure = match get("IPOC_COOKIE_SECURE").as_deref() {
            None => environment == Environment::Production,
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(invalid(
                    "IPOC_COOKIE_SECURE",
                    format!("'{other}' is not true or false"),
                ));
            }
        };
        let search = search::from_lookup(&get, &data_dir)?;
        let settings = Settings {
            bind: get("IPOC_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            database_url,
            db_max_connections: number(&get, "IPOC_DB_MAX_CONNECTIONS", 10)?,
            figures_cache_entries: number(&get, "IPOC_FIGURES_CACHE_ENTRIES", 100_000)?,
            jwt_secret: SecretString::from(
                get("IPOC_JWT_SECRET").unwrap_or_else(|| DEFAULT_JWT_SECRET.into()),
            ),
            token_ttl_minutes: number(&get, "IPOC_TOKEN_TTL_MINUTES", 720)?,
            environment,
            clock,
            cookie_secure,
            trusted_proxies,
            login_failures_per_account: number(&get, "IPOC_LOGIN_FAILURES_PER_ACCOUNT", 10)?,
            login_failures_per_ip: number(&get, "IPOC_LOGIN_FAILURES_PER_IP", 50)?,
            login_failure_window_minutes: number(&get, "IPOC_LOGIN_FAILURE_WINDOW_MINUTES", 15)?,
            logins_per_ip_per_minute: number(&get, "IPOC_LOGINS_PER_IP_PER_MINUTE", 120)?,
            workers: number(
                &get,
                "IPOC_WORKERS",
                std::thread::available_parallelism()
                    .map(usize::from)
                    .unwrap_or(2),
            )?,
            initial_admin_email: get("IPOC_ADMIN_EMAIL")
                .unwrap_or_else(|| "admin@ipoc.local".into()),
            smtp_url: get("IPOC_SMTP_URL")
                .filter(|u| !u.trim().is_empty())
                .map(SecretString::from),
            mail_from: get("IPOC_MAIL_FROM").unwrap_or_else(|| "ipoc <noreply@ipoc.local>".into()),
            public_url: get("IPOC_PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:8080".into()),
            mail_retry_seconds: number(&get, "IPOC_MAIL_RETRY_SECONDS", 30)?,
            schedule_seconds: number(&get, "IPOC_SCHEDULE_SECONDS", 60)?,
            attachment_max_mb: number(&get, "IPOC_ATTACHMENT_MAX_MB", 20)?,
            import: ImportLimits::from_lookup(&get)?,
            search,
            csp_report_uri: get("IPOC_CSP_REPORT_URI").filter(|u| !u.trim().is_empty()),
        };
        settings.check()?;
        Ok(settings)
    }

    /// Refuses what must never run: in production a missing, default or short JWT secret, or a
    /// fixed clock; anywhere, zero limits.
    pub fn check(&self) -> Result<(), SettingsError> {
        if self.environment == Environment::Production {
            let secret = self.jwt_secret.expose_secret();
            if secret == DEFAULT_JWT_SECRET {
                return Err(invalid(
                    "IPOC_JWT_SECRET",
                    "production needs a secret of its own (it is missing or the default)",
                ));
            }
            if secret.len() < 32 {
                return Err(invalid(
                    "IPOC_JWT_SECRET",
                    "production needs a secret of at least 32 characters",
                ));
            }
            if self.clock != Clock::System {
                return Err(invalid(
                    "IPOC_NOW",
                    "a fixed clock is refused in production",
                ));
            }
            if self.smtp_url.is_none() {
                return Err(invalid(
                    "IPOC_SMTP_URL",
                    "production sends mail through an SMTP server; set its URL",
                ));
            }
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(invalid(
                "IPOC_MAIL_FROM",
                "not a mailbox (e.g. `ipoc <noreply@example.cn>`)",
            ));
        }
        if self.attachment_max_mb == 0 || self.attachment_max_mb > 64 {
            return Err(invalid(
                "IPOC_ATTACHMENT_MAX_MB",
                "must lie between 1 and 64",
            ));
        }
        if self.mail_retry_seconds == 0 || self.schedule_seconds == 0 {
            return Err(invalid(
                "IPOC_SCHEDULE_SECONDS",
                "IPOC_SCHEDULE_SECONDS and IPOC_MAIL_RETRY_SECONDS must be positive",
            ));
        }
        if self.token_ttl_minutes <= 0 {
            return Err(invalid("IPOC_TOKEN_TTL_MINUTES", "must be positive"));
        }
        if self.workers == 0 {
            return Err(invalid("IPOC_WORKERS", "must be positive"));
        }
        if self.db_max_connections == 0 {
            return Err(invalid("IPOC_DB_MAX_CONNECTIONS", "must be positive"));
        }
        if self.login_failures_per_account == 0
            || self.login_failures_per_ip == 0
            || self.logins_per_ip_per_minute == 0
        {
            return Err(invalid(
                "IPOC_LOGIN_FAILURES_PER_ACCOUNT",
                "login limits must be positive",
            ));
        }
        Ok(())
    }

    /// The domain of `IPOC_MAIL_FROM` (`ipoc.local` by default), where Message-IDs are made.
    pub fn mail_domain(&self) -> String {
        self.mail_from
            .parse::<lettre::message::Mailbox>()
            .map(|mailbox| mailbox.email.domain().to_string())
            .unwrap_or_else(|_| "ipoc.local".into())
    }

    /// Whether the database is SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_run_a_development_server_on_sqlite() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.database_url, "sqlite://data/ipoc.db?mode=rwc");
        assert_eq!(s.environment, Environment::Development);
    }

    #[test]
    fn production_refuses_default_secret_and_fixed_clock() {
        let err = settings(&[("IPOC_ENV", "production")]).unwrap_err();
        assert_eq!(err.variable, "IPOC_JWT_SECRET");
        let secret = "a-long-enough-production-secret-0123456789";
        let err = settings(&[
            ("IPOC_ENV", "production"),
            ("IPOC_JWT_SECRET", secret),
            ("IPOC_NOW", "2026-01-01"),
        ])
        .unwrap_err();
        assert_eq!(err.variable, "IPOC_NOW");
        let err = settings(&[("IPOC_ENV", "production"), ("IPOC_JWT_SECRET", secret)]).unwrap_err();
        assert_eq!(
            err.variable, "IPOC_SMTP_URL",
            "production refuses to start without SMTP"
        );
        assert!(
            settings(&[
                ("IPOC_ENV", "production"),
                ("IPOC_JWT_SECRET", secret),
                ("IPOC_SMTP_URL", "smtp://mail.example.cn:587?tls=required"),
            ])
            .is_ok()
        );
        assert_eq!(
            settings(&[("IPOC_MAIL_FROM", "not a mailbox")])
                .unwrap_err()
                .variable,
            "IPOC_MAIL_FROM"
        );
        assert_eq!(
            settings(&[("IPOC_ENV", "staging")]).unwrap_err().variable,
            "IPOC_ENV"
        );
        assert_eq!(
            settings(&[("IPOC_NOW", "soon")]).unwrap_err().variable,
            "IPOC_NOW"
        );
    }

    #[test]
    fn import_limits_are_positive_numbers() {
        let s = settings(&[
            ("IPOC_IMPORT_MAX_MB", "5"),
            ("IPOC_IMPORT_MAX_ROWS", "1000"),
        ])
        .unwrap();
        assert_eq!((s.import.upload_bytes, s.import.rows), (5 << 20, 1000));
        assert_eq!(s.import.cells, ImportLimits::default().cells);
        for (key, value) in [
            ("IPOC_IMPORT_MAX_ROWS", "0"),
            ("IPOC_IMPORT_MAX_CELLS", "many"),
        ] {
            assert_eq!(settings(&[(key, value)]).unwrap_err().variable, key);
        }
    }
}
