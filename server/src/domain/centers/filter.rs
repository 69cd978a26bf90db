//! The filters of the centers list.

use entities::centers;
use sea_orm::{ColumnTrait, Condition};
use serde::Deserialize;

use super::CenterLevel;

/// Filters of the centers list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CenterFilter {
    pub level: Option<CenterLevel>,
    /// Two-digit province code, e.g. `32`.
    pub province: Option<String>,
    pub industry: Option<String>,
    pub status: Option<String>,
    /// Part of the name.
    pub q: Option<String>,
}

impl CenterFilter {
    /// The filter as a query condition.
    pub fn condition(&self) -> Condition {
        let mut condition = Condition::all();
        if let Some(level) = self.level {
            condition = condition.add(centers::Column::Level.eq(level.as_str()));
        }
        if let Some(province) = self
            .province
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            condition = condition.add(centers::Column::RegionCode.starts_with(province));
        }
        if let Some(industry) = self
            .industry
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            condition = condition.add(centers::Column::Industry.eq(industry));
        }
        if let Some(status) = self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            condition = condition.add(centers::Column::Status.eq(status));
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            condition = condition.add(centers::Column::Name.contains(q));
        }
        condition
    }
}
