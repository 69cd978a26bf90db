use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An exit decision's public notice: its last day, and the day the exit took effect.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE decisions ADD COLUMN notice_ends_on DATE")
            .await?;
        db.execute_unprepared("ALTER TABLE decisions ADD COLUMN effective_on DATE")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE decisions DROP COLUMN effective_on")
            .await?;
        db.execute_unprepared("ALTER TABLE decisions DROP COLUMN notice_ends_on")
            .await?;
        Ok(())
    }
}
