//! Long-form exports as Parquet files, for DuckDB, Polars, pandas or Spark: the CSV's
//! columns in its order, each with its type (strings, integers, floats, dates), empty
//! cells as nulls, and where the numbers come from in the file's key-value metadata.
//!
//! Written with the parquet crate's low-level writer, in the plainest layout every
//! reader takes: data pages of version 1, dictionary or plain encoding, Snappy, and row
//! groups of [`ROW_GROUP_ROWS`] rows, so no more than one group's values are held at a
//! time. Strings are written as they are: the CSV's escaping of terminal controls is
//! for a file printed with `cat`, which a Parquet file is not.

use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DataType, DoubleType};
use parquet::data_type::{Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::types::Type;

use super::export::{Column, Kind, Row, Stamp, Value};
use crate::error::Error;

/// Rows a row group holds: large enough for fast scans, small enough that a group's
/// values (a few MB) are all that is held while writing.
pub(crate) const ROW_GROUP_ROWS: usize = 64 * 1024;

/// `rows` as the bytes of a Parquet file whose schema is `R`'s columns, stamped with
/// `stamp`.
pub(crate) fn encode<R: Row>(
    rows: impl IntoIterator<Item = R>,
    stamp: &Stamp<'_>,
) -> Result<Vec<u8>, Error> {
    write(rows, stamp).map_err(|e| Error::Parquet {
        reason: e.to_string(),
    })
}

fn write<R: Row>(
    rows: impl IntoIterator<Item = R>,
    stamp: &Stamp<'_>,
) -> Result<Vec<u8>, ParquetError> {
    let metadata = stamp
        .key_values()
        .into_iter()
        .map(|(key, value)| KeyValue::new(key.to_owned(), value))
        .collect();
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(metadata))
        .build();
    let mut writer = SerializedFileWriter::new(
        Vec::new(),
        Arc::new(schema(R::COLUMNS)?),
        Arc::new(properties),
    )?;
    let mut rows = rows.into_iter();
    loop {
        let group: Vec<R> = rows.by_ref().take(ROW_GROUP_ROWS).collect();
        if group.is_empty() {
            break;
        }
        let values: Vec<Vec<Value<'_>>> = group.iter().map(Row::values).collect();
        let mut group_writer = writer.next_row_group()?;
        for (c, column) in R::COLUMNS.iter().enumerate() {
            let Some(mut column_writer) = group_writer.next_column()? else {
                return Err(ParquetError::General(format!(
                    "the schema has no column {}",
                    column.name
                )));
            };
            let cells: Vec<&Value<'_>> = values
                .iter()
                .map(|row| row.get(c).unwrap_or(&Value::Null))
                .collect();
            write_column(&mut column_writer, column, &cells)?;
            column_writer.close()?;
        }
        group_writer.close()?;
    }
    writer.into_inner()
}

/// The file's schema: a nullable field a column, of the column's type.
fn schema(columns: &[Column]) -> Result<Type, ParquetError> {
    let fields = columns
        .iter()
        .map(|column| {
            let (physical, logical) = match column.kind {
                Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
                Kind::Int64 => (Physical::INT64, None),
                Kind::Int32 => (Physical::INT32, None),
                Kind::Double => (Physical::DOUBLE, None),
                Kind::Date => (Physical::INT32, Some(LogicalType::Date)),
                Kind::Bool => (Physical::BOOLEAN, None),
            };
            Type::primitive_type_builder(column.name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<_, _>>()?;
    Type::group_type_builder("zhongdian")
        .with_fields(fields)
        .build()
}

/// One row group's cells of `column`, as its type.
fn write_column(
    writer: &mut SerializedColumnWriter<'_>,
    column: &Column,
    cells: &[&Value<'_>],
) -> Result<(), ParquetError> {
    match column.kind {
        Kind::Text => write_cells::<ByteArrayType>(writer, column, cells, |v| match v {
            Value::Text(text) => Some(ByteArray::from(text.as_bytes().to_vec())),
            _ => None,
        }),
        Kind::Int64 => write_cells::<Int64Type>(writer, column, cells, |v| match v {
            Value::Int64(n) => Some(*n),
            _ => None,
        }),
        Kind::Int32 => write_cells::<Int32Type>(writer, column, cells, |v| match v {
            Value::Int32(n) => Some(*n),
            _ => None,
        }),
        Kind::Double => write_cells::<DoubleType>(writer, column, cells, |v| match v {
            Value::Double(x) => Some(*x),
            _ => None,
        }),
        // Parquet's DATE: days since 1970-01-01. Every plausible year's days fit.
        Kind::Date => write_cells::<Int32Type>(writer, column, cells, |v| match v {
            Value::Date(d) => i32::try_from(d.day_number()).ok(),
            _ => None,
        }),
        Kind::Bool => write_cells::<BoolType>(writer, column, cells, |v| match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        }),
    }
}

/// Writes `cells` as `T` values, a null for each [`Value::Null`] (definition level 0).
/// A value of another type than the column's is a bug of the row's `values`, said as an
/// error rather than written as a null.
fn write_cells<T: DataType>(
    writer: &mut SerializedColumnWriter<'_>,
    column: &Column,
    cells: &[&Value<'_>],
    typed: impl Fn(&Value<'_>) -> Option<T::T>,
) -> Result<(), ParquetError> {
    let mut values = Vec::with_capacity(cells.len());
    let mut defined = Vec::with_capacity(cells.len());
    for cell in cells {
        if matches!(cell, Value::Null) {
            defined.push(0);
            continue;
        }
        let value = typed(cell).ok_or_else(|| {
            ParquetError::General(format!(
                "column {} holds {:?} values, not {cell:?}",
                column.name, column.kind
            ))
        })?;
        values.push(value);
        defined.push(1);
    }
    writer
        .typed::<T>()
        .write_batch(&values, Some(&defined), None)?;
    Ok(())
}
