use sea_orm::entity::prelude::*;

/// A patent offered in the conversion resource library.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "patent_listings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The canonical application number (`201710601862.3`).
    pub application_number: String,
    pub title: String,
    pub abstract_text: String,
    pub claims: Option<String>,
    /// The IPC codes as a JSON array, the main one first.
    pub ipc: String,
    /// `invention`, `utility_model` or `design`, from the number's type digit.
    pub patent_type: String,
    pub owner_organization_id: i32,
    /// The co-owners' codes as a JSON array.
    pub co_owner_uscc: String,
    /// The inventors' names as a JSON array.
    pub inventors: String,
    pub application_date: Option<Date>,
    pub grant_date: Option<Date>,
    /// `pending`, `granted`, `lapsed`, `invalidated` or `expired`.
    pub legal_status: String,
    /// The day the legal status took effect.
    pub legal_status_since: Date,
    pub annual_fee_paid_until: Option<Date>,
    pub industry: String,
    /// Technology readiness level, 1 to 9.
    pub maturity: Option<i32>,
    /// The offered modes as a JSON array.
    pub offered_modes: String,
    pub asking_price_fen: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    /// `listed` or `withdrawn`; `importing` while the import that wrote it has not published it.
    pub status: String,
    /// The import that wrote it, if one did.
    pub import_id: Option<i32>,
    pub listed_by: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
