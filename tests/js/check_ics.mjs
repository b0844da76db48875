// Parse calendar files with ical.js (the parser inside Thunderbird) and print what it understood, as JSON.
// Usage: node check_ics.mjs FILE...   → [{file, error?, method, name, refresh, ttl, timezones, events: [...]}, ...]
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function text(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

function when(event, name) {
  const prop = event.getFirstProperty(name);
  if (!prop) return null;
  const time = prop.getFirstValue();
  const tzid = prop.getParameter("tzid") || null;
  if (tzid && !ICAL.TimezoneService.has(tzid)) {
    throw new Error(`${name} uses TZID ${tzid} without a VTIMEZONE`);
  }
  return { utc: time.toJSDate().toISOString(), tzid, floating: !tzid && time.zone === ICAL.Timezone.localTimezone };
}

function check(file) {
  const raw = readFileSync(file, "utf8");
  const root = new ICAL.Component(ICAL.parse(raw));
  if (root.name !== "vcalendar") throw new Error(`top component is ${root.name}`);
  ICAL.TimezoneService.reset();
  const timezones = root.getAllSubcomponents("vtimezone").map((vtz) => {
    const zone = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(zone.tzid, zone);
    return zone.tzid;
  });
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      location: event.location,
      description: event.description,
      status: text(vevent, "status"),
      url: text(vevent, "url"),
      dtstamp: text(vevent, "dtstamp"),
      lastModified: text(vevent, "last-modified"),
      organizer: text(vevent, "organizer"),
      attendees: vevent.getAllProperties("attendee").map((p) => ({ value: String(p.getFirstValue()), rsvp: p.getParameter("rsvp") || null })),
      conference: vevent.getAllProperties("conference").map((p) => ({
        value: String(p.getFirstValue()),
        label: p.getParameter("label") || null,
        feature: p.getParameter("feature") || null,
      })),
      start: when(vevent, "dtstart"),
      end: when(vevent, "dtend"),
    };
  });
  return {
    file,
    method: text(root, "method"),
    version: text(root, "version"),
    prodid: text(root, "prodid"),
    name: text(root, "x-wr-calname") || text(root, "name"),
    refresh: text(root, "refresh-interval"),
    refreshValueType: root.getFirstProperty("refresh-interval")?.type || null,
    ttl: text(root, "x-published-ttl"),
    timezones,
    events,
  };
}

const results = process.argv.slice(2).map((file) => {
  try {
    return check(file);
  } catch (error) {
    return { file, error: String(error && error.message ? error.message : error) };
  }
});
process.stdout.write(JSON.stringify(results));
