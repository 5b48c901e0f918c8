#pragma once
// Personal data in reports, by the signed-in user's role (decision: pending-report-pii-masking).
// Of what the reports print, only the applicant's id (the schema's id column) identifies a
// person: validation, fairness, batch and audit reports hold aggregates, model facts and
// pseudonyms. A user whose role may not see personal data (Action::ViewPii: loan_officer,
// compliance) gets adverse action notices with the store's pseudonym in place of the id, in
// the notice, its statement of rights and the CSV index, so the copy can still be matched to
// the store's decision records.

#include "report/AdverseAction.h"
#include "store/Pseudonym.h"
#include "store/Roles.h"

namespace cwb::store {

// Masks the set's applicant ids unless `actor` may see personal data; true when it masked.
bool maskNoticesForRole(AdverseActionSet& set, const Actor& actor, const Pseudonymizer& pseudonyms);

}  // namespace cwb::store
