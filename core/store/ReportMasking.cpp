#include "store/ReportMasking.h"

namespace cwb::store {

bool maskNoticesForRole(AdverseActionSet& set, const Actor& actor,
                        const Pseudonymizer& pseudonyms) {
    if (actor.may(Action::ViewPii)) return false;
    for (AdverseActionNotice& notice : set.notices)
        if (notice.idIsPersonal) notice.applicantId = pseudonyms(notice.applicantId);
    set.idsMasked = true;
    return true;
}

}  // namespace cwb::store
