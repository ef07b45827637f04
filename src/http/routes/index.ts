import type { RoutePlugin } from '../services.js';
import { systemRoutes } from './system.js';
import { registryRoutes } from './registry.js';
import { partyRoutes } from './parties.js';
import { auditRoutes } from './audit.js';
import { volunteerHoursRoutes } from './volunteer-hours.js';
import { pledgeRoutes } from './pledges.js';
import { invoiceRoutes } from './invoices.js';
import { eInvoiceRoutes } from './e-invoices.js';
import { paymentRoutes } from './payments.js';
import { accountingRoutes } from './accounting.js';
import { expenseRoutes } from './expenses.js';
import { pettyCashRoutes } from './petty-cash.js';
import { readRoutes } from './reads.js';
import { documentRoutes } from './documents.js';
import { reminderRoutes } from './reminders.js';
import { yearRoutes } from './years.js';
import { listRoutes } from './lists.js';
import { annualReportRoutes } from './annual-report.js';

/** Every area of the API, in the order its routes appear in the OpenAPI document. */
export const ROUTE_PLUGINS: readonly RoutePlugin[] = [systemRoutes, registryRoutes, partyRoutes, auditRoutes, volunteerHoursRoutes, pledgeRoutes, invoiceRoutes, eInvoiceRoutes, reminderRoutes, paymentRoutes, expenseRoutes, pettyCashRoutes, readRoutes, listRoutes, documentRoutes, accountingRoutes, annualReportRoutes, yearRoutes];
