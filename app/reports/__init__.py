"""The post-event report: harvest the notes, review, publish versions, read, export."""
