import { z } from 'zod';
import { cooperativeDecider, financierDecider } from '../../domain/registry/deciders.js';
import { streams } from '../../domain/events.js';
import { refuse } from '../../domain/errors.js';
import { IbanSchema, SlugSchema } from '../../domain/ids.js';
import { isPrintableImage } from '../../documents/pdf.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';
import {
  AddressBody,
  BicSchema,
  CooperativeAnswerFields,
  EmailSchema,
  FinancierDetailsAnswerFields,
  FinancierDetailsBody,
  KvkNumberSchema,
  LogoBody,
  VatNumberSchema,
} from './party-schemas.js';

const CooperativeBody = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    address: AddressBody,
    kvkNumber: KvkNumberSchema,
    vatNumber: VatNumberSchema.optional(),
    vatExemptionNote: z.string().trim().min(1, 'must not be empty').max(300).optional(),
    iban: IbanSchema,
    bic: BicSchema,
    email: EmailSchema,
    logo: LogoBody.optional(),
  })
  .superRefine((body, context) => {
    if ((body.vatNumber === undefined) === (body.vatExemptionNote === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['vatNumber'],
        message: 'give exactly one of vatNumber (the btw-id) and vatExemptionNote (the note printed when no VAT is charged)',
      });
    }
  });
const CooperativeAnswer = z.object({ id: z.string(), ...CooperativeAnswerFields, revision: z.number().int(), position: PositionSchema });

const FinancierParams = z.strictObject({ id: SlugSchema });
const FinancierDetailsAnswer = z.object({ id: z.string(), ...FinancierDetailsAnswerFields, position: PositionSchema });

/** The cooperative's own details (supplier on every document) and a financier's details, each a new event. */
export const partyRoutes: RoutePlugin = async (app, { services }) => {
  const { commands } = services;

  app.put(
    '/cooperative',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['master data'],
        summary: "Record the cooperative's name, address, KvK number, VAT status, IBAN, BIC, e-mail and logo (a new event; issued documents keep the details they were issued with)",
        body: CooperativeBody,
        response: { 201: CooperativeAnswer, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const details = request.body;
      if (details.logo && !(await isPrintableImage(Buffer.from(details.logo.base64, 'base64'), details.logo.mediaType))) {
        refuse('INVALID_INPUT', `the logo is not a ${details.logo.mediaType === 'image/png' ? 'PNG' : 'JPEG'} image of at most 2000 × 2000 pixels that can be printed`, 'logo.base64');
      }
      const result = await commands.execute(
        cooperativeDecider,
        streams.cooperative(),
        () => ({ type: 'SetCooperativeDetails' as const, details }),
        commandMetadata(request),
        created(request, ({ state, position }) => ({ id: 'cooperative', ...state.current!.details, revision: state.current!.revision, position })),
      );
      return sendAnswer(reply, result.answer);
    },
  );

  app.put(
    '/financiers/:id/details',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['master data'],
        summary: "Replace a financier's address, e-mail, e-invoice id and buyer-reference rule (a new event; issued invoices keep the address they were sent to)",
        params: FinancierParams,
        body: FinancierDetailsBody,
        response: { 201: FinancierDetailsAnswer, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const result = await commands.execute(
        financierDecider,
        streams.financier(id),
        () => ({ type: 'ChangeFinancierDetails' as const, financierId: id, details: request.body }),
        commandMetadata(request),
        created(request, ({ position }) => ({ id, ...request.body, position })),
      );
      return sendAnswer(reply, result.answer);
    },
  );
};
