#pragma once

#include "engine/connector/registry.h"

namespace ferry::seam {

// The "ledger" system kind: a throwaway end system defined entirely in this
// folder, to prove that a new system joins Ferry through its descriptor
// alone (docs/adding-a-system.md walks through it). Entries live in a
// LedgerStore named by the system's url ("ledger://books"); each has the
// fields Subject (text), State (open, closed) and Owner (user), and
// remarks as its one comment kind. Lookups are written `Field == 'value'`
// (the ledger dialect: quotes doubled inside values). Options:
// LedgerOptions (ledger_options.proto).
//
// Linking this library (alwayslink) registers the descriptor.
engine::SystemDescriptor LedgerDescriptor();

}  // namespace ferry::seam
