//! Derived state: what the database keeps besides the records themselves, each a cache that can
//! be rebuilt from the tables, and what moves it. Two of the four move by database triggers
//! installed by migrations; this is the one list of their tables in Rust, and a test holds the
//! installed triggers to it on both backends.
//!
//! | derived state | moved by | on changes to |
//! |---|---|---|
//! | `centers.figures_version` | triggers `figures_*` (migration 17) | [`FIGURES_SOURCES`] |
//! | `centers.lifecycle_version` | triggers `lifecycle_*` (migration 28) | [`LIFECYCLE_SOURCES`] |
//! | `center_year_totals` | Rust, in the deal's transaction (`ledger::totals`) | deals |
//! | `center_member_counts` | Rust, in the membership's transaction (`alliance`) | memberships |

/// Tables whose rows a center's figures are computed from: a change to any moves the center's
/// `figures_version`, which stamps every cached figure (`organizations` only through a served
/// organization's tech-SME flag).
pub const FIGURES_SOURCES: [&str; 7] = [
    "center_year_totals",
    "memberships",
    "projects",
    "service_events",
    "cycles",
    "service_event_organizations",
    "organizations",
];

/// Tables whose rows make a center's place in its cycle: a change to any moves the center's
/// `lifecycle_version`, which stamps the dashboard's rows.
pub const LIFECYCLE_SOURCES: [&str; 4] = [
    "annual_reports",
    "decisions",
    "rectifications",
    "withdrawal_requests",
];

/// The prefix of the triggers that move `figures_version`.
pub const FIGURES_TRIGGER_PREFIX: &str = "figures_";

/// The prefix of the triggers that move `lifecycle_version`.
pub const LIFECYCLE_TRIGGER_PREFIX: &str = "lifecycle_";
