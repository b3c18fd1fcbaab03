"""The figures the ICT organisation published when the service had run for two years (the source
article, 1401/10/25): inquiries per district since each went online. Shown beside the live figures
so the two can be compared; district 2 was not online yet."""

from __future__ import annotations

import datetime as dt

PUBLISHED_ON = dt.date(2023, 1, 15)  # 1401/10/25
INQUIRIES_BY_DISTRICT = {1: 8_427, 2: 0, 3: 1_891, 4: 656, 5: 5_270}
INQUIRIES_TOTAL = 16_244
NOTARY_OFFICES_TRAINED = 80
COUNTER_OFFICES_TRAINED = 79
