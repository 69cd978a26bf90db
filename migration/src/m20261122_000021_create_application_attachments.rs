use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Files attached to an application (PDF or images), stored under `IPOC_DATA_DIR/attachments/`.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApplicationAttachments::Table)
                    .col(pk_auto(ApplicationAttachments::Id))
                    .col(integer(ApplicationAttachments::ApplicationId))
                    .col(string(ApplicationAttachments::FileName))
                    .col(string(ApplicationAttachments::ContentType))
                    .col(big_integer(ApplicationAttachments::SizeBytes))
                    .col(string(ApplicationAttachments::Sha256))
                    .col(string(ApplicationAttachments::StoredName))
                    .col(integer(ApplicationAttachments::UploadedBy))
                    .col(timestamp_with_time_zone(ApplicationAttachments::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        ApplicationAttachments::DeletedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_attachments_application")
                            .from(
                                ApplicationAttachments::Table,
                                ApplicationAttachments::ApplicationId,
                            )
                            .to(Applications::Table, Applications::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_application_attachments_application")
                    .table(ApplicationAttachments::Table)
                    .col(ApplicationAttachments::ApplicationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(ApplicationAttachments::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApplicationAttachments {
    Table,
    Id,
    ApplicationId,
    FileName,
    ContentType,
    SizeBytes,
    Sha256,
    StoredName,
    UploadedBy,
    CreatedAt,
    DeletedAt,
}
