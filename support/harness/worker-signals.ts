/**
 * Ctrl-C in a terminal signals the whole process group, spec workers included. The `npm test` wrapper
 * decides what an interrupt means (finish the spec in flight, write the report marked INCOMPLETE), so
 * a worker does not die on SIGINT; it stops when vitest closes it.
 */
process.on('SIGINT', () => undefined);
