"""The day itself: personal links, the "where am I now" page, the facilitator page and the live console."""
