import { Loading } from "~/components/ui/Loading";

export default function LoadingTicket() {
  return <Loading label="loading.ticket" shape="ticket" />;
}
