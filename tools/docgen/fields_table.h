#pragma once

#include <string>
#include <vector>

#include "mapping/system_schema.h"

namespace ferry::docgen {

// A Markdown table of `fields` (name, type, whether Ferry may write it as
// a mapping's target, value set, note), in their order. Text in cells is
// escaped so that a `|` in a note cannot break the table.
std::string FieldsTable(const std::vector<mapping::FieldSpec>& fields);

// Markdown describing one system kind's fields as mappings see them: the
// fields table, custom fields, the status field and its forbidden
// changes, comment kinds and limits, criteria and lookup examples.
// `site_fields` are the fields one live system has beyond the schema
// (Jira custom fields, by id and name); empty for the generated reference.
std::string SchemaReference(const mapping::SystemSchema& schema,
                            const std::vector<mapping::FieldSpec>& site_fields);

// What may write a field, in words: "source or target",
// "target on create only (sync_when: CREATE)", "source only".
std::string WhoWrites(mapping::Writability writability);

// `text` fit for one Markdown table cell: newlines become spaces, `|` is
// escaped.
std::string Cell(const std::string& text);

}  // namespace ferry::docgen
