//! Memberships as a download, in the columns the members import reads.

use crate::web::download::{Cell, Table};

use crate::imports::MEMBER_HEADERS;

/// Memberships as a table.
pub fn members(items: &[crate::domain::alliance::MembershipView]) -> Table {
    let rows = items
        .iter()
        .map(|m| {
            let o = &m.organization;
            vec![
                o.uscc.clone().into(),
                o.name.clone().into(),
                crate::imports::kind_chinese(&o.kind).into(),
                o.region_code.clone().into(),
                o.flags
                    .iter()
                    .map(|f| crate::imports::flag_chinese(f))
                    .collect::<Vec<_>>()
                    .join(";")
                    .into(),
                m.joined_on.to_string().into(),
                m.left_on.map(|d| d.to_string()).unwrap_or_default().into(),
                Cell::from(if m.status == "active" {
                    "在册"
                } else {
                    "已退出"
                }),
            ]
        })
        .collect();
    Table {
        name: "members",
        headers: MEMBER_HEADERS.to_vec(),
        rows,
    }
}
