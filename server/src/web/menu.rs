//! The menu of each role: its pages in the order of its work, each with the count of what waits
//! there, the page being shown marked.

use serde::Serialize;

use crate::{domain::users::Role, domain::views::waiting::Waiting, i18n::Lang, state::AppState};

/// One entry of the menu.
#[derive(Serialize)]
pub struct MenuItem {
    pub href: &'static str,
    pub label: String,
    /// What waits behind it (none when nothing does, or when not counted on this page).
    pub count: Option<usize>,
    /// Whether it is the page being shown (or the page above it).
    pub current: bool,
}

/// Where a count comes from.
#[derive(Clone, Copy)]
enum Count {
    Nothing,
    Everything,
    Applications,
    Reviews,
    JoinRequests,
}

/// The entries of `role`'s menu: address, catalog label, count.
fn entries(role: Role) -> &'static [(&'static str, &'static str, Count)] {
    use Count::*;
    match role {
        Role::Admin => &[
            ("/home", "nav_home", Everything),
            ("/admin/users", "nav_users", Nothing),
            ("/dashboard", "nav_dashboard", Nothing),
            ("/centers", "nav_centers", Nothing),
            ("/patents", "nav_library", Nothing),
            ("/demands", "nav_demands", Nothing),
            ("/rulebook", "nav_rulebook", Nothing),
        ],
        Role::Cnipa | Role::LocalOffice => &[
            ("/home", "nav_home", Everything),
            ("/applications", "nav_applications", Applications),
            ("/home#reviews", "nav_reviews", Reviews),
            ("/dashboard", "nav_dashboard", Nothing),
            ("/centers", "nav_centers", Nothing),
            ("/patents", "nav_library", Nothing),
            ("/demands", "nav_demands", Nothing),
            ("/rulebook", "nav_rulebook", Nothing),
        ],
        Role::Expert => &[
            ("/home", "nav_home", Everything),
            ("/home#tasks", "nav_assignments", Applications),
            ("/rulebook", "nav_rulebook", Nothing),
        ],
        Role::Center => &[
            ("/home", "nav_home", Everything),
            ("/center", "nav_my_center", JoinRequests),
            ("/applications", "nav_applications", Applications),
            ("/patents", "nav_library", Nothing),
            ("/demands", "nav_demands", Nothing),
            ("/rulebook", "nav_rulebook", Nothing),
        ],
        Role::Member => &[
            ("/home", "nav_home", Everything),
            ("/patents", "nav_library", Nothing),
            ("/demands", "nav_demands", Nothing),
            ("/rulebook", "nav_rulebook", Nothing),
        ],
    }
}

/// The menu of `role` on the page at `path`, with the counts of `waiting` when known.
pub fn menu(
    state: &AppState,
    lang: Lang,
    role: Role,
    waiting: Option<Waiting>,
    path: &str,
) -> Vec<MenuItem> {
    entries(role)
        .iter()
        .map(|&(href, key, count)| {
            let count = waiting.and_then(|w| {
                let n = match count {
                    Count::Nothing => 0,
                    Count::Everything => w.total(),
                    Count::Applications => w.applications,
                    Count::Reviews => w.reviews,
                    Count::JoinRequests => w.join_requests,
                };
                (n > 0).then_some(n)
            });
            let own = href.split('#').next().unwrap_or(href);
            MenuItem {
                href,
                label: state.templates.label(lang, key).to_string(),
                count,
                current: !href.contains('#') && shows(own, path),
            }
        })
        .collect()
}

/// Whether the page at `path` is the menu entry `own` or below it (a center's staff reach their
/// center, `/center`, at `/centers/{id}`).
fn shows(own: &str, path: &str) -> bool {
    let below = |top: &str| path == top || path.starts_with(&format!("{top}/"));
    below(own) || (own == "/center" && below("/centers"))
}
