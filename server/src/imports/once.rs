//! A file is imported once: the same file (by its SHA-256) sent again is refused while any row it
//! wrote still counts, so that a figure used for accreditation is not doubled by accident.

use entities::{imports, transactions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{error::AppError, i18n::Msg};

/// Refuses (409) a `kind` file of `center_id` with this `sha256` when an earlier import of it
/// still has live deals, naming the day of that import; a file all of whose deals were deleted
/// may come again.
pub async fn refuse_imported_again(
    db: &impl ConnectionTrait,
    center_id: i32,
    kind: &str,
    sha256: &str,
) -> Result<(), AppError> {
    let earlier = imports::Entity::find()
        .filter(imports::Column::CenterId.eq(center_id))
        .filter(imports::Column::Kind.eq(kind))
        .filter(imports::Column::Sha256.eq(sha256))
        .order_by_asc(imports::Column::Id)
        .all(db)
        .await?;
    for import in earlier {
        let live = transactions::Entity::find()
            .filter(transactions::Column::ImportId.eq(import.id))
            .filter(transactions::Column::DeletedAt.is_null())
            .one(db)
            .await?;
        if live.is_some() {
            let on = crate::clock::china_date(import.created_at);
            let (rows, name) = (import.row_count, import.file_name);
            return Err(AppError::Conflict(Msg::new(
                format!(
                    "该文件（{name}）已于 {on} 导入（{rows} 行），不能重复导入；如需重新导入，请先删除该次导入的交易"
                ),
                format!(
                    "this file ({name}) was imported on {on} ({rows} rows) and is not imported twice; delete the deals of that import first to import it again"
                ),
            )));
        }
    }
    Ok(())
}
