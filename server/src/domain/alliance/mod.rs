//! The alliance (知识产权联盟 / 创新联合体): memberships added by the center or approved from join
//! requests, withdrawn (never deleted) when an organization leaves.

mod join_requests;
mod member_record;
mod memberships;

pub use join_requests::*;
pub use member_record::Member;
pub use memberships::*;
