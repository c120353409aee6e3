import { z } from "zod";
import { createOrganization, createOrganizationInput, listOrganizations, updateOrganization, updateOrganizationInput } from "~/server/modules/people/organizations";
import { listCustomers, listCustomersInput } from "~/server/modules/people/customers";
import { mySharingOrganization } from "~/server/modules/people/my-organization";
import { inviteStaff, inviteStaffInput, listStaff, listStaffInput, resendInvitationInput, resendStaffInvitation, setActiveInput, setRoleInput, setStaffActive, setStaffRole } from "~/server/modules/people/staff";
import * as out from "~/shared/schemas/people";
import { adminProcedure, authedProcedure, router } from "../trpc";

// Admins manage staff (/admin/personas), list customers (/admin/clientes) and manage organizations
// (/admin/organizaciones). A customer only learns whether their own organization shares tickets.
export const peopleRouter = router({
  staff: adminProcedure.input(listStaffInput).output(out.staffList).query(({ ctx, input }) => listStaff(ctx.deps, ctx.actor, input)),
  invite: adminProcedure.input(inviteStaffInput).output(out.staffPerson).mutation(({ ctx, input }) => inviteStaff(ctx.deps, ctx.actor, input)),
  resendInvitation: adminProcedure.input(resendInvitationInput).output(out.staffPerson).mutation(({ ctx, input }) => resendStaffInvitation(ctx.deps, ctx.actor, input)),
  setRole: adminProcedure.input(setRoleInput).output(out.staffPerson).mutation(({ ctx, input }) => setStaffRole(ctx.deps, ctx.actor, input)),
  setActive: adminProcedure.input(setActiveInput).output(out.staffPerson).mutation(({ ctx, input }) => setStaffActive(ctx.deps, ctx.actor, input)),
  customers: adminProcedure.input(listCustomersInput).output(out.customerPage).query(({ ctx, input }) => listCustomers(ctx.deps, ctx.actor, input)),
  organizations: adminProcedure.output(out.organizations).query(({ ctx }) => listOrganizations(ctx.deps, ctx.actor)),
  createOrganization: adminProcedure.input(createOrganizationInput).output(out.savedOrganization).mutation(({ ctx, input }) => createOrganization(ctx.deps, ctx.actor, input)),
  updateOrganization: adminProcedure.input(updateOrganizationInput).output(out.savedOrganization).mutation(({ ctx, input }) => updateOrganization(ctx.deps, ctx.actor, input)),
  myOrganization: authedProcedure.output(z.object({ name: z.string() }).nullable()).query(({ ctx }) => mySharingOrganization(ctx.deps, ctx.actor)),
});
