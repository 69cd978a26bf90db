use sea_orm::entity::prelude::*;

/// An open-licence declaration (开放许可声明) of a listed patent, in force from `declared_on` to
/// `until` unless ended earlier.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "open_licences")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub listing_id: i32,
    /// `lump_sum`, `annual_fee` or `royalty_rate`.
    pub fee_kind: String,
    /// Yuan with two decimals, or a percentage for a royalty rate.
    pub fee: String,
    pub payment: String,
    pub term_years: i32,
    /// The co-owners' codes whose consent was given, as a JSON array.
    pub co_owner_consents: String,
    pub declared_on: Date,
    /// The last day of its term.
    pub until: Date,
    pub ended_on: Option<Date>,
    /// `withdrawn`, `term_ended` or `not_in_force` (the patent lapsed).
    pub ended_because: Option<String>,
    pub declared_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
