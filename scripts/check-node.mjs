// npm scripts must run on the Node 24 that the `node` devDependency ships: `npm ci --ignore-scripts`
// silently leaves it out and everything would run on the machine's older Node.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `This project runs on Node 24 (devDependency "node"), but npm scripts are running on ${process.version}.\n` +
      'Run `npm ci` without --ignore-scripts so that node_modules/.bin/node is installed.',
  );
  process.exit(1);
}
