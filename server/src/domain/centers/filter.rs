//! The filters of the centers list.

use entities::centers;
use sea_orm::{ColumnTrait, Condition, Order, QueryOrder, Select};
use serde::Deserialize;
use utoipa::ToSchema;

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
    /// The column the list is sorted by (else the order the centers were created in).
    pub sort: Option<CenterSort>,
    /// Sorted from the last to the first.
    pub descending: bool,
}

/// A column the centers list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CenterSort {
    Name,
    Level,
    /// By region code, so by province first.
    Province,
    Industry,
    Status,
}

impl CenterSort {
    /// Every column, as the query names it.
    pub const ALL: [(CenterSort, &'static str); 5] = [
        (CenterSort::Name, "name"),
        (CenterSort::Level, "level"),
        (CenterSort::Province, "province"),
        (CenterSort::Industry, "industry"),
        (CenterSort::Status, "status"),
    ];
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

    /// The list's order as SQL over the `centers` table (what [`Self::ordered`] sorts by).
    pub fn order_sql(&self) -> String {
        let column = match self.sort {
            None => return "centers.id ASC".to_string(),
            Some(CenterSort::Name) => "name",
            Some(CenterSort::Level) => "level",
            Some(CenterSort::Province) => "region_code",
            Some(CenterSort::Industry) => "industry",
            Some(CenterSort::Status) => "status",
        };
        let direction = if self.descending { "DESC" } else { "ASC" };
        format!("centers.{column} {direction}, centers.id ASC")
    }

    /// `select` in the list's order: the sort column (then creation, for ties), else creation.
    pub fn ordered(&self, select: Select<centers::Entity>) -> Select<centers::Entity> {
        let column = match self.sort {
            None => return select.order_by_asc(centers::Column::Id),
            Some(CenterSort::Name) => centers::Column::Name,
            Some(CenterSort::Level) => centers::Column::Level,
            Some(CenterSort::Province) => centers::Column::RegionCode,
            Some(CenterSort::Industry) => centers::Column::Industry,
            Some(CenterSort::Status) => centers::Column::Status,
        };
        let order = if self.descending {
            Order::Desc
        } else {
            Order::Asc
        };
        select
            .order_by(column, order)
            .order_by_asc(centers::Column::Id)
    }
}
