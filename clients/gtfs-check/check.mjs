// Reads the API's GTFS feed back with node-gtfs (which imports it into
// SQLite, enforcing required fields, value ranges and unique ids) and then
// checks what a journey planner relies on: the references between files,
// and that the files that make a feed are not empty.
//
//   node check.mjs http://127.0.0.1:8080/api/v1/transport/gtfs.zip
//   node check.mjs ./gtfs.zip
//
// Exits 1 when any check fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeDb, getAgencies, getCalendarDates, getCalendars, getFeedInfo, getRoutes, getStops, getStoptimes, getTrips, importGtfs,
  openDb,
} from 'gtfs';

const source = process.argv[2];
if (!source) {
  console.error('usage: node check.mjs <feed URL or zip path>');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `: ${detail}` : ''}`);
}

const dir = mkdtempSync(join(tmpdir(), 'gtfs-check-'));
const zipPath = join(dir, 'gtfs.zip');
try {
  if (/^https?:/.test(source)) {
    const res = await fetch(source);
    check('GET answers 200 with application/zip', res.status === 200 && res.headers.get('content-type') === 'application/zip',
      `${res.status} ${res.headers.get('content-type')}`);
    const etag = res.headers.get('etag');
    writeFileSync(zipPath, Buffer.from(await res.arrayBuffer()));
    check('the feed has an ETag and Last-Modified', Boolean(etag && res.headers.get('last-modified')));
    if (etag) {
      const again = await fetch(source, { headers: { 'If-None-Match': etag } });
      check('If-None-Match with that ETag answers 304', again.status === 304, String(again.status));
    }
  } else {
    writeFileSync(zipPath, readFileSync(source));
  }

  const config = { agencies: [{ path: zipPath }], sqlitePath: ':memory:', verbose: false, logFunction: () => {} };
  try {
    await importGtfs(config);
    check('node-gtfs imports the feed (required fields, ranges, unique ids)', true);
  } catch (err) {
    check('node-gtfs imports the feed (required fields, ranges, unique ids)', false, err.message);
    throw err;
  }
  const db = openDb(config);

  const agencies = getAgencies();
  const stops = getStops();
  const routes = getRoutes();
  const trips = getTrips();
  const stoptimes = getStoptimes();
  const calendars = getCalendars();
  const calendarDates = getCalendarDates();
  const feedInfo = getFeedInfo();
  console.log(`read: ${agencies.length} agencies, ${stops.length} stops, ${routes.length} routes, ${trips.length} trips, ` +
    `${stoptimes.length} stop times, ${calendars.length} calendars, ${calendarDates.length} calendar dates`);

  check('agency.txt is not empty', agencies.length > 0);
  check('agency timezone is Asia/Jakarta', agencies.every((a) => a.agency_timezone === 'Asia/Jakarta'));
  check('stops.txt is not empty', stops.length > 0);
  check('routes.txt is not empty', routes.length > 0);
  check('trips.txt is not empty', trips.length > 0);
  check('stop_times.txt is not empty', stoptimes.length > 0);
  check('calendar.txt or calendar_dates.txt is not empty', calendars.length + calendarDates.length > 0);
  check('feed_info.txt has one row with a language and a version',
    feedInfo.length === 1 && Boolean(feedInfo[0].feed_lang && feedInfo[0].feed_version));

  // Each query lists what dangles; an empty list passes.
  const dangling = [
    ['every stop_times.trip_id is in trips.txt',
      'SELECT DISTINCT trip_id FROM stop_times WHERE trip_id NOT IN (SELECT trip_id FROM trips)'],
    ['every stop_times.stop_id is in stops.txt',
      'SELECT DISTINCT stop_id FROM stop_times WHERE stop_id NOT IN (SELECT stop_id FROM stops)'],
    ['every trips.route_id is in routes.txt',
      'SELECT DISTINCT route_id FROM trips WHERE route_id NOT IN (SELECT route_id FROM routes)'],
    ['every trips.service_id is in calendar.txt or calendar_dates.txt',
      `SELECT DISTINCT service_id FROM trips WHERE service_id NOT IN (SELECT service_id FROM calendar)
         AND service_id NOT IN (SELECT service_id FROM calendar_dates)`],
    ['every trips.shape_id is in shapes.txt',
      'SELECT DISTINCT shape_id FROM trips WHERE shape_id IS NOT NULL AND shape_id NOT IN (SELECT shape_id FROM shapes)'],
    ['every routes.agency_id is in agency.txt',
      'SELECT DISTINCT agency_id FROM routes WHERE agency_id IS NOT NULL AND agency_id NOT IN (SELECT agency_id FROM agency)'],
    ['every fare_rules.fare_id is in fare_attributes.txt',
      'SELECT DISTINCT fare_id FROM fare_rules WHERE fare_id NOT IN (SELECT fare_id FROM fare_attributes)'],
    ['every fare_rules.route_id is in routes.txt',
      'SELECT DISTINCT route_id FROM fare_rules WHERE route_id IS NOT NULL AND route_id NOT IN (SELECT route_id FROM routes)'],
    ['every trip has at least two stop times',
      `SELECT trip_id FROM trips WHERE (SELECT COUNT(*) FROM stop_times s WHERE s.trip_id = trips.trip_id) < 2`],
    ['stop times never go back in time along a trip',
      `SELECT a.trip_id FROM stop_times a JOIN stop_times b ON a.trip_id = b.trip_id AND b.stop_sequence > a.stop_sequence
         WHERE b.arrival_timestamp < a.departure_timestamp`],
    ['every calendar starts no later than it ends',
      'SELECT service_id FROM calendar WHERE start_date > end_date'],
    ['every service runs on at least one day',
      `SELECT service_id FROM calendar WHERE monday + tuesday + wednesday + thursday + friday + saturday + sunday = 0
         AND service_id NOT IN (SELECT service_id FROM calendar_dates WHERE exception_type = 1)`],
    ['every fare is in IDR',
      `SELECT fare_id FROM fare_attributes WHERE currency_type <> 'IDR'`],
  ];
  for (const [name, sql] of dangling) {
    const rows = db.prepare(sql).all();
    check(name, rows.length === 0, JSON.stringify(rows.slice(0, 5)));
  }
  closeDb(db);
} catch (err) {
  if (failed === 0) check('the check ran', false, err.stack || String(err));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`gtfs-check: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
