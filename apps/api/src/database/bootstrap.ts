/** Entry points for the start script and the test launcher (plain Node, compiled code). */
export { migrate } from '../common/database/data-source';
export { seedDemo, DEMO_PASSWORD, DEMO_ORGANIZATION, DEMO_ROLES, demoEmail } from './demo-seed';
