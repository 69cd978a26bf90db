use sea_orm::entity::prelude::*;

/// An enterprise's market evaluation of a listing.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "listing_evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub listing_id: i32,
    /// The evaluating enterprise.
    pub organization_id: i32,
    /// Industrialization prospect, 1 to 5.
    pub prospect: i32,
    pub improvement_needs: String,
    /// `transfer`, `license`, `joint_rd` or `none`.
    pub intent: String,
    pub evaluated_by: i32,
    /// The enterprise's own contact for the owner (optional).
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
