use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// The name the file was uploaded with.
    pub file_name: String,
    /// Sniffed from the bytes, not taken from the upload.
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// The file's name under `IPOC_DATA_DIR/attachments/`.
    pub stored_name: String,
    pub uploaded_by: i32,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
