//! Who decides on a center: CNIPA for a national center; for a local one, the office of the
//! province (a provincial center) or city (a municipal one) that holds it — which also
//! recommends national centers of its province.

use entities::centers;

use super::{centers::CenterLevel, users::Role};
use crate::auth::CurrentUser;

/// The region code of the office that decides a local-level center (its province's office for a
/// provincial center, its city's for a municipal one) or recommends a national one (its province's).
pub fn authority_region(center: &centers::Model) -> String {
    authority_region_of(&center.level, &center.region_code)
}

/// The deciding (or recommending) office's region for a center of `level` in `code`.
pub fn authority_region_of(level: &str, code: &str) -> String {
    let (province, city) = (
        code.get(..2).unwrap_or("00"),
        code.get(..4).unwrap_or("0000"),
    );
    if level == CenterLevel::Municipal.as_str() {
        format!("{city}00")
    } else {
        format!("{province}0000")
    }
}

/// Whether `center` is accredited by CNIPA (national) rather than a local office.
pub fn is_national(center: &centers::Model) -> bool {
    center.level == CenterLevel::National.as_str()
}

/// Whether `user` decides (and assigns experts to) the applications of `center`: cnipa for a
/// national center; for a local one, the local office of `authority_region`.
pub fn decides(user: &CurrentUser, center: &centers::Model) -> bool {
    decides_on(user, &center.level, &center.region_code)
}

/// Whether `user` decides on a center of `level` in region `code`.
pub fn decides_on(user: &CurrentUser, level: &str, code: &str) -> bool {
    if level == CenterLevel::National.as_str() {
        user.role == Role::Cnipa
    } else {
        user.role == Role::LocalOffice
            && user.region_code.as_deref() == Some(authority_region_of(level, code).as_str())
    }
}
