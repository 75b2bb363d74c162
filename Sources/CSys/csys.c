// Placeholder; implemented by the CSys work.
#include "csys.h"
