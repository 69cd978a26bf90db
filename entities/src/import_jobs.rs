use sea_orm::entity::prelude::*;

/// An import running in the background, then its outcome.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `patents`.
    pub kind: String,
    /// Whose import it is: `organization:<id>` or `center:<id>`.
    pub scope: String,
    pub requested_by: i32,
    pub file_name: String,
    pub sha256: String,
    /// `running`, `done`, `rejected` or `failed`.
    pub state: String,
    pub rows_total: i32,
    pub rows_done: i32,
    pub created: i32,
    pub updated: i32,
    /// JSON: the rows changed (done), the bad cells (rejected) or the reason (failed).
    pub outcome: Option<String>,
    /// Written as the import advances; a running import silent for long has stopped.
    pub heartbeat_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
